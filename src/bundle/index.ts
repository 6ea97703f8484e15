/** esbuild bundling of compiled models: one ESM file with the runtime and the module API. */
export { bundleModel, absoluteImports, RUNTIME_DIR, MODEL_SUPPORT, type BundleOptions, type BundleResult } from "./bundleModel";
export { brmsNamingOf, brmsLayout, type BrmsNaming } from "./brmsLayout";
