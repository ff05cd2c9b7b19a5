// The Node.js flags the operator runs with: the image's ENTRYPOINT has them (a unit test keeps
// the Dockerfile in step), and the benchmark and the process tests start it the same way.
//
// --max-semi-space-size=4: V8 grows its young generation to 16 MB semi-spaces (≈ 48 MB of RSS)
// when a process allocates steadily, as the operator does while canaries progress; its objects
// are mostly long-lived cache entries, so a 4 MB semi-space costs no measurable CPU and keeps
// ≈ 25 MB of RSS off the peak (30 canaries on the local cluster: 108 → 87 MB; docs/benchmarks.md).
export const OPERATOR_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
