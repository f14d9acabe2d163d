// The Vega browser builds, loaded by index.html as classic scripts before the app's modules.
interface VegaEmbedResult {
  readonly view: { finalize(): void };
}
declare function vegaEmbed(el: HTMLElement, spec: object, options?: object): Promise<VegaEmbedResult>;
declare const vega: { readonly expressionInterpreter: object };
