/**
 * Container, reduction and matrix functions expanded into loops (src/primitives/expansions/
 * reshape.ts, ordering.ts, solve.ts, gp.ts): values against hand-computed results (each noted
 * where it comes from), gradients of parameter-dependent calls against finite differences through
 * compiled programs, and Stan's wording for index and size errors.
 */
import { describe, expect, it } from "vitest";
import type { ModelInstance, Rng } from "../../src/runtime/model";
import { coordinateCheck, loadCompiled, randomPoint, seededUniform } from "../models/gradientCheck";

// nothing here draws random numbers: a constant source will do
const rng: Rng = { uniform: () => 0.5, normal: () => 0, nextU32: () => 0 };

/** Generated quantities by name, each flat in CmdStan's (column-major) output order. */
function outputs(inst: ModelInstance): Map<string, number[]> {
  const out = new Float64Array(inst.outputLength);
  inst.writeConstrained(new Float64Array(inst.dim), rng, out);
  const byName = new Map<string, number[]>();
  let pos = 0;
  for (const v of inst.variables) {
    const size = v.dims.reduce((a, b) => a * b, 1);
    byName.set(v.name, Array.from(out.slice(pos, pos + size)));
    pos += size;
  }
  return byName;
}

function expectClose(got: number[] | undefined, want: number[], tol = 1e-12): void {
  expect(got).toBeDefined();
  expect(got?.length).toBe(want.length);
  want.forEach((w, i) => expect(Math.abs((got as number[])[i] - w), `element ${i}: ${String(got)} vs ${String(want)}`).toBeLessThan(tol));
}

async function gradientWorst(source: string, file: string, data: Record<string, unknown>, points = 3): Promise<void> {
  const model = await loadCompiled(source, file);
  const inst = model.create(data);
  const rnd = seededUniform(2024);
  for (let p = 0; p < points; p++) {
    const r = coordinateCheck(inst, randomPoint(inst.dim, rnd, 0.8));
    expect(r.worst, r.where).toBeLessThan(1e-6);
  }
}

const RESHAPE_PROGRAM = `
data { matrix[3, 2] M; array[6] real a; array[6] int ai; array[2, 3] real a2; array[2] row_vector[3] arv; vector[3] v; }
generated quantities {
  matrix[3, 1] m_vec = to_matrix(v);
  matrix[1, 3] m_row = to_matrix(v');
  matrix[2, 3] m_2d = to_matrix(a2);
  matrix[2, 3] m_rows = to_matrix(arv);
  matrix[2, 3] m_colmajor = to_matrix(a, 2, 3);
  matrix[2, 3] m_rowmajor = to_matrix(a, 2, 3, 0);
  matrix[2, 3] m_int_rowmajor = to_matrix(ai, 2, 3, 0);
  matrix[2, 3] m_reshaped = to_matrix(M, 2, 3);
  array[3, 2] real arr2 = to_array_2d(M);
  matrix[2, 1] blk = block(M, 2, 2, 2, 1);
  vector[2] scol = sub_col(M, 2, 1, 2);
  row_vector[2] srow = sub_row(M, 3, 1, 2);
  matrix[3, 3] acol = append_col(v, M);
  row_vector[4] acol_scalar = append_col(1.5, v');
  matrix[4, 2] arow = append_row(M, [7, 8]);
  array[4, 3] real aarr = append_array(a2, a2);
  vector[5] lin = linspaced_vector(5, 0, 1);
  array[1] real lin1 = linspaced_array(1, 0, 1);
  array[6] int lin_rep = linspaced_int_array(6, 1, 3);
  array[5] int lin_step = linspaced_int_array(5, 1, 10);
  row_vector[4] hot = one_hot_row_vector(4, 2);
  array[4] int hot_int = one_hot_int_array(4, 3);
  vector[3] zeros = zeros_vector(3);
  array[3] int ones = ones_int_array(3);
  vector[4] uniform = uniform_simplex(4);
  matrix[2, 2] eye = identity_matrix(2);
  array[2] int dims_m = dims(M);
  array[3] int dims_arv = dims(arv);
}
`;

describe("container builders and reshapes: values", () => {
  it("match the hand-computed results", async () => {
    const model = await loadCompiled(RESHAPE_PROGRAM, "reshape_values.stan");
    // M = [1 2; 3 4; 5 6], a2 = arv = [1 2 3; 4 5 6], v = (7, 8, 9)
    const got = outputs(
      model.create({
        M: [[1, 2], [3, 4], [5, 6]],
        a: [1, 2, 3, 4, 5, 6],
        ai: [1, 2, 3, 4, 5, 6],
        a2: [[1, 2, 3], [4, 5, 6]],
        arv: [[1, 2, 3], [4, 5, 6]],
        v: [7, 8, 9],
      }),
    );
    // outputs are column-major: [1 2 3; 4 5 6] prints 1 4 2 5 3 6
    expectClose(got.get("m_vec"), [7, 8, 9]);
    expectClose(got.get("m_row"), [7, 8, 9]);
    expectClose(got.get("m_2d"), [1, 4, 2, 5, 3, 6]);
    expectClose(got.get("m_rows"), [1, 4, 2, 5, 3, 6]);
    // column-major fill of 1…6 is [1 3 5; 2 4 6]; row-major fill is [1 2 3; 4 5 6]
    expectClose(got.get("m_colmajor"), [1, 2, 3, 4, 5, 6]);
    expectClose(got.get("m_rowmajor"), [1, 4, 2, 5, 3, 6]);
    expectClose(got.get("m_int_rowmajor"), [1, 4, 2, 5, 3, 6]);
    // M's column-major elements 1 3 5 2 4 6 refilled into 2×3
    expectClose(got.get("m_reshaped"), [1, 3, 5, 2, 4, 6]);
    expectClose(got.get("arr2"), [1, 3, 5, 2, 4, 6]);
    expectClose(got.get("blk"), [4, 6]);
    expectClose(got.get("scol"), [3, 5]);
    expectClose(got.get("srow"), [5, 6]);
    expectClose(got.get("acol"), [7, 8, 9, 1, 3, 5, 2, 4, 6]);
    expectClose(got.get("acol_scalar"), [1.5, 7, 8, 9]);
    expectClose(got.get("arow"), [1, 3, 5, 7, 2, 4, 6, 8]);
    expectClose(got.get("aarr"), [1, 4, 1, 4, 2, 5, 2, 5, 3, 6, 3, 6]);
    expectClose(got.get("lin"), [0, 0.25, 0.5, 0.75, 1]);
    // one point: Stan gives the upper end
    expectClose(got.get("lin1"), [1]);
    // Stan's documentation: values repeat when K − 1 > high − low; else step ⌊(high − low)/(K − 1)⌋
    expectClose(got.get("lin_rep"), [1, 1, 2, 2, 3, 3]);
    expectClose(got.get("lin_step"), [1, 3, 5, 7, 9]);
    expectClose(got.get("hot"), [0, 1, 0, 0]);
    expectClose(got.get("hot_int"), [0, 0, 1, 0]);
    expectClose(got.get("zeros"), [0, 0, 0]);
    expectClose(got.get("ones"), [1, 1, 1]);
    expectClose(got.get("uniform"), [0.25, 0.25, 0.25, 0.25]);
    expectClose(got.get("eye"), [1, 0, 0, 1]);
    expectClose(got.get("dims_m"), [3, 2]);
    // a row vector is 1 × K
    expectClose(got.get("dims_arv"), [2, 1, 3]);
  });
});

const ORDER_PROGRAM = `
data { vector[5] v; array[4] int k; matrix[2, 3] M; }
generated quantities {
  vector[5] up = sort_asc(v);
  vector[5] down = sort_desc(v);
  array[4] int k_up = sort_asc(k);
  array[5] int idx_up = sort_indices_asc(v);
  array[5] int idx_down = sort_indices_desc(v);
  array[4] int idx_int = sort_indices_asc(k);
  int r = rank(v, 3);
  int r_int = rank(k, 1);
  vector[5] rev = reverse(v);
  array[2, 3] real rev2 = reverse({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}});
  row_vector[3] cdp = columns_dot_product(M, M);
  vector[2] rdp = rows_dot_product(M, M);
  vector[2] rds = rows_dot_self(M);
  row_vector[3] cds = columns_dot_self(M);
  real dist = distance(v[1:2], v[3:4]);
  real dist_scalar = distance(2.5, -1);
  real n1 = norm1(v);
  real n2 = norm2(v);
}
`;

describe("orderings and reductions: values", () => {
  it("match the hand-computed results", async () => {
    const model = await loadCompiled(ORDER_PROGRAM, "order_values.stan");
    // v = (3, −1, 2, 7, 0), k = (4, 1, 3, 1), M = [1 2 3; 4 5 6]
    const got = outputs(model.create({ v: [3, -1, 2, 7, 0], k: [4, 1, 3, 1], M: [[1, 2, 3], [4, 5, 6]] }));
    expectClose(got.get("up"), [-1, 0, 2, 3, 7]);
    expectClose(got.get("down"), [7, 3, 2, 0, -1]);
    expectClose(got.get("k_up"), [1, 1, 3, 4]);
    expectClose(got.get("idx_up"), [2, 5, 3, 1, 4]);
    expectClose(got.get("idx_down"), [4, 1, 3, 5, 2]);
    // ties keep their order
    expectClose(got.get("idx_int"), [2, 4, 3, 1]);
    // elements below v[3] = 2: −1 and 0
    expectClose(got.get("r"), [2]);
    expectClose(got.get("r_int"), [3]);
    expectClose(got.get("rev"), [0, 7, 2, -1, 3]);
    // {{4,5,6},{1,2,3}} column-major
    expectClose(got.get("rev2"), [4, 1, 5, 2, 6, 3]);
    expectClose(got.get("cdp"), [17, 29, 45]);
    expectClose(got.get("rdp"), [14, 77]);
    expectClose(got.get("rds"), [14, 77]);
    expectClose(got.get("cds"), [17, 29, 45]);
    // |(3, −1) − (2, 7)| = √(1 + 64)
    expectClose(got.get("dist"), [Math.sqrt(65)]);
    expectClose(got.get("dist_scalar"), [3.5]);
    expectClose(got.get("n1"), [13]);
    expectClose(got.get("n2"), [Math.sqrt(9 + 1 + 4 + 49)]);
  });
});

const MATRIX_PROGRAM = `
data { matrix[3, 3] S; matrix[3, 3] G; matrix[3, 3] T; matrix[3, 2] B; vector[3] v; }
generated quantities {
  real qf_vec = quad_form(S, v);
  matrix[2, 2] qf = quad_form(S, B);
  matrix[2, 2] qf_sym = quad_form_sym(S, B);
  real tqf = trace_quad_form(S, B);
  matrix[3, 3] diag_scalar = add_diag(G, 10);
  matrix[3, 3] diag_vec = add_diag(G, v);
  real tr = trace(G);
  matrix[3, 3] sym = symmetrize_from_lower_tri(G);
  vector[3] tri_left = mdivide_left_tri_low(T, v);
  matrix[3, 2] tri_left_m = mdivide_left_tri_low(T, B);
  row_vector[3] tri_right = mdivide_right_tri_low(v', T);
  matrix[2, 3] tri_right_m = mdivide_right_tri_low(B', T);
  vector[3] spd_left = mdivide_left_spd(S, v);
  matrix[2, 3] spd_right = mdivide_right_spd(B', S);
  vector[3] solve_left = G \\ v;
  matrix[3, 2] solve_left_m = G \\ B;
  row_vector[3] solve_right = v' / G;
  matrix[2, 3] solve_right_m = B' / G;
  matrix[3, 3] inv_spd = inverse_spd(S);
  matrix[3, 3] inv_chol = chol2inv(cholesky_decompose(S));
  real det = determinant(G);
  real log_det = log_determinant(G);
  real log_det_spd = log_determinant_spd(S);
  matrix[3, 3] pow0 = matrix_power(G, 0);
  matrix[3, 3] pow3 = matrix_power(G, 3);
}
`;

type Mat = number[][];
const S: Mat = [[4, 1, 0.5], [1, 3, 0.2], [0.5, 0.2, 2]];
// G has a zero leading entry: elimination must pivot
const G: Mat = [[0, 2, 1], [1, 1, 3], [2, -1, 1]];
const T: Mat = [[2, 0, 0], [1, 3, 0], [2, -1, 4]];
const B: Mat = [[1, 2], [3, 4], [5, 6]];
const v = [1, -2, 3];

function mul(A: Mat, X: Mat): Mat {
  return A.map((row) => X[0].map((_, j) => row.reduce((s, a, k) => s + a * X[k][j], 0)));
}
function tr(A: Mat): Mat {
  return A[0].map((_, j) => A.map((row) => row[j]));
}
/** Column-major flat of a matrix given by rows. */
function flat(A: Mat): number[] {
  return tr(A).flat();
}
function fromFlat(x: number[] | undefined, rows: number): Mat {
  const cols = (x as number[]).length / rows;
  return Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (x as number[])[i + j * rows]));
}
const col = (x: number[]): Mat => x.map((e) => [e]);

describe("matrix functions: values", () => {
  it("match hand-computed results and the defining equations", async () => {
    const model = await loadCompiled(MATRIX_PROGRAM, "matrix_values.stan");
    const got = outputs(model.create({ S, G, T, B, v }));
    // S v = (3.5, −4.4, 6.1), vᵀ S v = 3.5 + 8.8 + 18.3
    expectClose(got.get("qf_vec"), [30.6], 1e-12);
    const BtSB = mul(tr(B), mul(S, B));
    expectClose(got.get("qf"), flat(BtSB), 1e-12);
    expectClose(got.get("qf_sym"), flat(BtSB), 1e-12);
    expectClose(got.get("tqf"), [BtSB[0][0] + BtSB[1][1]], 1e-12);
    expectClose(got.get("diag_scalar"), flat([[10, 2, 1], [1, 11, 3], [2, -1, 11]]));
    expectClose(got.get("diag_vec"), flat([[1, 2, 1], [1, -1, 3], [2, -1, 4]]));
    expectClose(got.get("tr"), [2]);
    expectClose(got.get("sym"), flat([[0, 1, 2], [1, 1, -1], [2, -1, 1]]));
    // forward substitution by hand: x1 = 1/2, x2 = (−2 − 1/2)/3 = −5/6, x3 = (3 − 1 − 5/6)/4 = 7/24
    expectClose(got.get("tri_left"), [0.5, -5 / 6, 7 / 24], 1e-14);
    expectClose(flat(mul(T, fromFlat(got.get("tri_left_m"), 3))), flat(B), 1e-12);
    expectClose(flat(mul([got.get("tri_right") as number[]], T)), v, 1e-12);
    expectClose(flat(mul(fromFlat(got.get("tri_right_m"), 2), T)), flat(tr(B)), 1e-12);
    expectClose(flat(mul(S, col(got.get("spd_left") as number[]))), v, 1e-12);
    expectClose(flat(mul(fromFlat(got.get("spd_right"), 2), S)), flat(tr(B)), 1e-12);
    expectClose(flat(mul(G, col(got.get("solve_left") as number[]))), v, 1e-12);
    expectClose(flat(mul(G, fromFlat(got.get("solve_left_m"), 3))), flat(B), 1e-12);
    expectClose(flat(mul([got.get("solve_right") as number[]], G)), v, 1e-12);
    expectClose(flat(mul(fromFlat(got.get("solve_right_m"), 2), G)), flat(tr(B)), 1e-12);
    const I3 = flat([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    expectClose(flat(mul(fromFlat(got.get("inv_spd"), 3), S)), I3, 1e-12);
    expectClose(got.get("inv_chol"), got.get("inv_spd") as number[], 1e-12);
    // cofactor expansion along the first row: 0·4 − 2·(1 − 6) + 1·(−1 − 2) = 7
    expectClose(got.get("det"), [7], 1e-12);
    expectClose(got.get("log_det"), [Math.log(7)], 1e-12);
    // det S = 4(6 − 0.04) − 1(2 − 0.1) + 0.5(0.2 − 1.5) = 21.29
    expectClose(got.get("log_det_spd"), [Math.log(21.29)], 1e-12);
    expectClose(got.get("pow0"), I3);
    expectClose(got.get("pow3"), flat(mul(G, mul(G, G))), 1e-12);
  });
});

const GP_PROGRAM = `
data { array[3] real x; array[2] real y; array[3] vector[2] xv; array[2] vector[2] yv; }
generated quantities {
  matrix[3, 3] k_eq = gp_exp_quad_cov(x, 1.5, 0.7);
  matrix[3, 3] k_cov = cov_exp_quad(x, 1.5, 0.7);
  matrix[3, 2] k_m32 = gp_matern32_cov(x, y, 1.5, 0.7);
  matrix[3, 3] k_m52_ard = gp_matern52_cov(xv, 1.5, {0.7, 2.0});
  matrix[3, 2] k_exp = gp_exponential_cov(xv, yv, 1.5, 0.7);
  matrix[3, 2] k_eq_ard = gp_exp_quad_cov(xv, yv, 1.5, {0.7, 2.0});
}
`;

describe("GP covariance functions: values", () => {
  it("follow the Stan Functions Reference kernels", async () => {
    const x = [0, 0.5, 2];
    const y = [1, -1];
    const xv = [[0, 1], [1, 1], [0.5, -1]];
    const yv = [[0, 0], [2, 1]];
    const model = await loadCompiled(GP_PROGRAM, "gp_values.stan");
    const got = outputs(model.create({ x, y, xv, yv }));
    const s2 = 1.5 * 1.5;
    // distances in length-scale units (per dimension for the array form)
    const dist = (p: number[], q: number[], ls: number[]) => Math.sqrt(p.reduce((acc, pk, k) => acc + ((pk - q[k]) / ls[k]) ** 2, 0));
    const cov = (P: number[][], Q: number[][], ls: number[], k: (d: number) => number) => flat(P.map((p) => Q.map((q) => k(dist(p, q, ls)))));
    const expQuad = (d: number) => s2 * Math.exp(-0.5 * d * d);
    const matern32 = (d: number) => s2 * (1 + Math.sqrt(3) * d) * Math.exp(-Math.sqrt(3) * d);
    const matern52 = (d: number) => s2 * (1 + Math.sqrt(5) * d + (5 / 3) * d * d) * Math.exp(-Math.sqrt(5) * d);
    const exponential = (d: number) => s2 * Math.exp(-d);
    const pts = (a: number[]) => a.map((e) => [e]);
    expectClose(got.get("k_eq"), cov(pts(x), pts(x), [0.7], expQuad), 1e-14);
    expectClose(got.get("k_cov"), cov(pts(x), pts(x), [0.7], expQuad), 1e-14);
    expectClose(got.get("k_m32"), cov(pts(x), pts(y), [0.7], matern32), 1e-14);
    expectClose(got.get("k_m52_ard"), cov(xv, xv, [0.7, 2], matern52), 1e-14);
    expectClose(got.get("k_exp"), cov(xv, yv, [0.7, 0.7], exponential), 1e-14);
    expectClose(got.get("k_eq_ard"), cov(xv, yv, [0.7, 2], expQuad), 1e-14);
    // by hand: 2.25 · exp(−0.25 / (2 · 0.49)) = 1.7433842…
    expect(Math.abs((got.get("k_eq") as number[])[1] - 1.743384215)).toBeLessThan(1e-9);
  });
});

describe("gradients through the expansions agree with finite differences", () => {
  it("reshapes, slices, concatenation, sorting and reductions", async () => {
    await gradientWorst(
      `
parameters { matrix[3, 2] P; vector[3] v; array[6] real a; array[2, 3] real a2; real lo; }
model {
  target += normal_lpdf(to_vector(P) | 0, 1) + normal_lpdf(v | 0, 1) + normal_lpdf(a | 0, 1) + normal_lpdf(to_array_1d(a2) | 0, 1) + normal_lpdf(lo | 0, 1);
  target += sum(square(to_matrix(a2))) * 0.3 + sum(to_matrix(a, 2, 3, 0) .* to_matrix(a2)) + sum(exp(to_matrix(P, 2, 3)) .* to_matrix(a, 2, 3));
  target += sum(to_array_1d(to_array_2d(P))) + sum(to_matrix(v) * to_matrix(v'));
  target += sum(exp(block(P, 2, 1, 2, 2))) + sum(sin(sub_col(P, 1, 2, 3))) + sum(cos(sub_row(P, 2, 1, 2)));
  target += sum(append_col(P, v) * [1, 2, 3]') + sum(exp(append_row(P, v'[1:2]))) + sum(exp(append_col(lo, v')));
  target += sum(sin(append_array(a, to_array_1d(a2))));
  target += sum(exp(linspaced_vector(4, lo, lo + 2))) + sum(columns_dot_product(P, exp(P))) + sum(rows_dot_product(P, P)) + sum(rows_dot_self(exp(P))) + sum(columns_dot_self(v'));
  target += distance(v, exp(v)) + distance(lo, 2) + norm1(v) + norm2(a) + sum(columns_dot_product(v, v)) + sum(rows_dot_product(v', v'));
  target += dot_product(sort_asc(v), [1, 2, 3]') + dot_product(to_vector(sort_desc(a)), linspaced_vector(6, 1, 6)) + sum(reverse(a2)[1]) * 2 + dot_product(reverse(v), [1, 2, 3]');
  target += rank(a, 2) + dot_product(to_vector(a[sort_indices_desc(v)]), [1, 2, 3]');
}
`,
      "container_gradient.stan",
      {},
    );
  });
  it("quadratic forms, solves, inverses, determinants and powers", async () => {
    await gradientWorst(
      `
data { matrix[3, 2] B; }
parameters { matrix[3, 3] G; vector[3] v; cholesky_factor_cov[3] L; }
model {
  matrix[3, 3] S = multiply_lower_tri_self_transpose(L);
  target += normal_lpdf(to_vector(G) | 0, 1) + normal_lpdf(v | 0, 1);
  target += sum(quad_form(G, B)) + quad_form(G, v) + sum(quad_form_sym(S, B)) * 0.1 + quad_form_sym(S, v) * 0.1 + trace_quad_form(G, B) + trace_quad_form(S, v) * 0.1;
  target += sum(exp(add_diag(G, v))) * 0.1 + sum(add_diag(G, v[1]) .* G) + trace(G) + sum(symmetrize_from_lower_tri(G) .* G);
  target += sum(mdivide_left_tri_low(L, v)) + sum(mdivide_left_tri_low(L, G)) + sum(mdivide_right_tri_low(v', L)) + sum(mdivide_right_tri_low(G, L));
  target += sum(mdivide_left_spd(S, v)) + sum(mdivide_left_spd(S, G)) + sum(mdivide_right_spd(v', S)) + sum(mdivide_right_spd(G, S));
  target += sum(inverse_spd(S) .* G) + sum(chol2inv(L) .* G) + determinant(G) + log_determinant(G) + log_determinant_spd(S);
  target += sum(matrix_power(G, 3)) * 0.1 + sum(matrix_power(G, 1));
  target += sum(S \\ v) + sum(G \\ S) * 0.01 + sum(v' / S) + sum(G / S) + sum(exp(v) .^ v) + sum(G .^ 2);
}
`,
      "matrix_gradient.stan",
      { B: [[1, 2], [3, 4], [5, 6]] },
    );
  });
  it("GP covariance functions in every argument", async () => {
    await gradientWorst(
      `
data { array[2] real y; array[2] vector[2] yv; }
parameters { real<lower=0> s; real<lower=0> r; array[2] real<lower=0> ls; array[3] real xp; array[3] vector[2] xvp; }
model {
  target += normal_lpdf(s | 1, 0.3) + normal_lpdf(r | 1, 0.3) + normal_lpdf(ls | 1, 0.3) + normal_lpdf(xp | 0, 1);
  for (n in 1:3) target += normal_lpdf(xvp[n] | 0, 1);
  target += sum(cov_exp_quad(xp, s, r)) + sum(gp_exp_quad_cov(xp, y, s, r)) + sum(gp_exp_quad_cov(xvp, s, ls)) + sum(gp_exp_quad_cov(xvp, yv, s, r));
  target += sum(gp_matern32_cov(xp, s, r)) + sum(gp_matern32_cov(xvp, yv, s, ls)) + sum(gp_matern52_cov(xvp, s, r)) + sum(gp_matern52_cov(xp, y, s, r));
  target += sum(gp_matern52_cov(xvp, s, ls)) + sum(gp_exponential_cov(xp, s, r)) + sum(gp_exponential_cov(xvp, yv, s, ls)) + sum(gp_exponential_cov(xvp, s, r));
}
`,
      "gp_gradient.stan",
      { y: [1, -1], yv: [[0, 0], [2, 1]] },
    );
  });
});

describe("index and argument errors use Stan's wording", () => {
  const program = (call: string, type = "matrix[3, 3]") => `
data { matrix[3, 2] M; int i; }
transformed data { ${type} out = ${call}; }
parameters { real mu; }
model { mu ~ normal(0, 1); }
`;
  const cases: [string, string, string, RegExp][] = [
    ["block row", "block(M, i, 1, 3, 1)", "matrix[3, 1]", /block: accessing element out of range\. index 4 out of range; expecting index to be between 1 and 3 for rows of i\+nrows-1/],
    ["block first row", "block(M, i - 2, 1, 1, 1)", "matrix[1, 1]", /block: accessing element out of range\. index 0 out of range; expecting index to be between 1 and 3 for rows of i/],
    ["block column", "block(M, 1, i + 1, 1, 1)", "matrix[1, 1]", /block: accessing element out of range\. index 3 out of range; expecting index to be between 1 and 2 for columns of j/],
    ["sub_col", "sub_col(M, 1, i + 1, 2)", "vector[2]", /sub_col: accessing element out of range\. index 3 out of range; expecting index to be between 1 and 2 for columns of j/],
    ["sub_row", "sub_row(M, i + 2, 1, 2)", "row_vector[2]", /sub_row: accessing element out of range\. index 4 out of range; expecting index to be between 1 and 3 for rows of i/],
    ["rank", "rank(to_array_1d(M), i + 6)", "int", /rank: accessing element out of range\. index 8 out of range; expecting index to be between 1 and 6/],
    ["to_matrix size", "to_matrix(M, i, 2)", "matrix[2, 2]", /to_matrix: rows \* columns \(4\) and vector size \(6\) must match in size/],
    ["append_col rows", "append_col(M, rep_vector(1, i))", "matrix[3, 3]", /append_col: rows of A \(3\) and rows of B \(2\) must match in size/],
    ["one_hot bound", "one_hot_vector(3, i + 2)", "vector[3]", /one_hot_vector: k is 4, but must be in the interval \[1, 3\]/],
    ["linspaced bounds", "linspaced_vector(3, i, 1)", "vector[3]", /linspaced_vector: high is 1, but must be greater than or equal to 2/],
  ];
  for (const [label, call, type, message] of cases) {
    it(label, async () => {
      const model = await loadCompiled(program(call, type), `errors_${label.replace(/\W/g, "_")}.stan`);
      expect(() => model.create({ M: [[1, 2], [3, 4], [5, 6]], i: 2 })).toThrow(message);
    });
  }
  it("quad_form_sym of an asymmetric matrix", async () => {
    const model = await loadCompiled(`data { matrix[2, 2] A; } transformed data { real q = quad_form_sym(A, [1, 1]'); } parameters { real mu; } model { mu ~ normal(0, 1); }`, "asym.stan");
    expect(() => model.create({ A: [[1, 2], [3, 1]] })).toThrow(/quad_form_sym: A is not symmetric\. A\[1,2\] = 2, but A\[2,1\] = 3/);
  });
  it("gp_exp_quad_cov with a negative length scale", async () => {
    const model = await loadCompiled(`data { array[2] real x; } transformed data { matrix[2, 2] K = gp_exp_quad_cov(x, 1, -0.5); } parameters { real mu; } model { mu ~ normal(0, 1); }`, "gp_error.stan");
    expect(() => model.create({ x: [0, 1] })).toThrow(/gp_exp_quad_cov: length scale is -0\.5, but must be positive finite!/);
  });
});

const SPECTRAL_PROGRAM = `
data { matrix[3, 3] S; matrix[3, 2] B; matrix[2, 2] R; matrix[3, 3] U; }
generated quantities {
  vector[3] ev = eigenvalues_sym(S);
  matrix[3, 3] V = eigenvectors_sym(S);
  vector[2] sv_tall = singular_values(B);
  vector[2] sv_wide = singular_values(B');
  matrix[2, 2] rot = matrix_exp(R);
  matrix[3, 3] unipotent = matrix_exp(U * 10);
}
`;

describe("eigendecomposition, singular values and matrix_exp: values", () => {
  it("match closed forms and the defining equations", async () => {
    const model = await loadCompiled(SPECTRAL_PROGRAM, "spectral_values.stan");
    const U: Mat = [[1, 2, 0], [0, 1, 3], [0, 0, 1]];
    const got = outputs(model.create({ S, B, R: [[0, 1], [-1, 0]], U }));
    const ev = got.get("ev") as number[];
    const V = fromFlat(got.get("V"), 3);
    // ascending; sum = trace S = 9; product = det S = 21.29 (hand computed above)
    expect(ev[0]).toBeLessThan(ev[1]);
    expect(ev[1]).toBeLessThan(ev[2]);
    expectClose([ev[0] + ev[1] + ev[2]], [9], 1e-13);
    expectClose([ev[0] * ev[1] * ev[2]], [21.29], 1e-12);
    // S V = V Λ, Vᵀ V = I, each column's largest component positive
    const VL = V.map((row) => row.map((x, j) => x * ev[j]));
    expectClose(flat(mul(S, V)), flat(VL), 1e-13);
    expectClose(flat(mul(tr(V), V)), flat([[1, 0, 0], [0, 1, 0], [0, 0, 1]]), 1e-14);
    for (let j = 0; j < 3; j++) {
      const column = V.map((row) => row[j]);
      const largest = column.reduce((best, x) => (Math.abs(x) > Math.abs(best) ? x : best), 0);
      expect(largest).toBeGreaterThan(0);
    }
    // BᵀB = [35 44; 44 56]: σ² = (91 ± √(21² + 4·44²))/2 = (91 ± √8185)/2
    const root = Math.sqrt(8185);
    const want = [Math.sqrt((91 + root) / 2), Math.sqrt((91 - root) / 2)];
    expectClose(got.get("sv_tall"), want, 1e-13);
    expectClose(got.get("sv_wide"), want, 1e-13);
    // exp of a rotation generator: [cos 1, sin 1; −sin 1, cos 1]
    expectClose(got.get("rot"), [Math.cos(1), -Math.sin(1), Math.sin(1), Math.cos(1)], 1e-15);
    // 10U = 10I + 10N with N nilpotent: e¹⁰(I + 10N + 50N²), N² = [0 0 6; 0 0 0; 0 0 0]
    const e10 = Math.exp(10);
    const expected = flat([[1, 20, 300], [0, 1, 30], [0, 0, 1]]).map((x) => x * e10);
    expectClose(got.get("unipotent"), expected, 1e-8);
  });
});

describe("gradients through the Jacobi sweeps and the Padé approximant", () => {
  it("eigenvalues_sym, eigenvectors_sym, singular_values and matrix_exp agree with finite differences", async () => {
    await gradientWorst(
      `
data { matrix[4, 4] W; }
parameters { matrix[4, 4] M; matrix[3, 2] B; matrix[2, 4] C; }
model {
  matrix[4, 4] S = M + M';
  target += std_normal_lpdf(to_vector(M)) + std_normal_lpdf(to_vector(B)) + std_normal_lpdf(to_vector(C));
  target += dot_product(eigenvalues_sym(S), [1, 2, 3, 4]') + sum(eigenvectors_sym(S) .* W);
  target += dot_product(singular_values(B), [1, 2]') + dot_product(singular_values(C), [2, 1]');
  target += sum(matrix_exp(M) .* W) + sum(matrix_exp(M * 3)) * 0.01;
}
`,
      "spectral_gradient.stan",
      { W: [[1, 2, 0.5, 0], [-1, 0.3, 2, 1], [0.2, 0.1, 1, -2], [0.5, 0.5, -0.5, 1]] },
    );
  });
});
