/**
 * The runtime math kernels by Stan name. Generated model code imports from here; see
 * `docs/kernel-conventions.md` for the calling conventions.
 */
export * from "./elementary";
export * from "./special";
export * from "./incompleteDerivatives";
export * from "./bessel";
export * from "./scalar";
export * from "./reductions";
export * from "./distributions/normal";
export * from "./distributions/normalIdGlm";
export * from "./distributions/exponential";
export * from "./distributions/studentT";
export * from "./distributions/cauchy";
export * from "./distributions/lognormal";
export * from "./distributions/gamma";
export * from "./distributions/beta";
export * from "./distributions/uniform";
export * from "./distributions/doubleExponential";
export * from "./distributions/logistic";
export * from "./distributions/weibull";
export * from "./distributions/chiSquare";
export * from "./distributions/continuousRngs";
export * from "./distributions/bernoulli";
export * from "./distributions/bernoulliLogitGlm";
export * from "./distributions/binomial";
export * from "./distributions/betaBinomialCdf";
export * from "./distributions/poisson";
export * from "./distributions/negBinomial2";
export * from "./distributions/categorical";
export * from "./distributions/orderedLogistic";
export * from "./distributions/bernoulliCdf";
export * from "./distributions/betaBinomial";
export * from "./distributions/negBinomial";
export * from "./distributions/orderedProbit";
export * from "./distributions/multinomial";
export * from "./distributions/dirichlet";
export * from "./distributions/multiNormalCholesky";
export * from "./distributions/multiNormal";
export * from "./distributions/lkjCorrCholesky";
export * from "./distributions/lkjCorr";
export * from "./distributions/multiNormalPrec";
export * from "./distributions/multiStudentT";
export * from "./distributions/wishart";
export * from "./distributions/lkjCov";
// Container-valued kernels and constraint transforms (separate owners; see their files).
export * from "./linalg";
export * from "./containers";
export * from "./transforms";
export * from "./distributions/vonMisesCdf";
export * from "./distributions/skewNormalCdf";
export * from "./distributions/wiener";
