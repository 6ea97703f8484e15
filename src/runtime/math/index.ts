/**
 * The runtime math kernels by Stan name. Generated model code imports from here; see
 * `docs/kernel-conventions.md` for the calling conventions.
 */
export * from "./special";
export * from "./distributions/normal";
export * from "./distributions/exponential";
export * from "./distributions/studentT";
export * from "./distributions/lkjCorrCholesky";
export * from "./distributions/multiNormalCholesky";
export * from "./distributions/normalIdGlm";
export * from "./scalar";
export * from "./reductions";
