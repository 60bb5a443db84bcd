// A worker thread's uncaught error, not handled in the main thread: node prints where the
// main thread re-throws it, the error and its frames, after an ordinary line.
const { Worker } = require("node:worker_threads");
console.log(`${new Date().toISOString()} INFO starting resize worker`);
new Worker(`
  function resize(img) { if (!img.width) throw new RangeError("image has no width"); }
  resize({});
`, { eval: true });
