/** The local-cluster launcher lives in `sim/` (the main job and the benchmarks use it too). */
export * from '../../sim/cluster.js';
