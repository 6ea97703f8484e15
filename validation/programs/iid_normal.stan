// D independent standard normals: the simplest exact target, for checking the sampler's stationary
// distribution to a fraction of a percent (pooled over coordinates).
data {
  int<lower=1> D;
}
parameters {
  vector[D] theta;
}
model {
  theta ~ std_normal();
}
