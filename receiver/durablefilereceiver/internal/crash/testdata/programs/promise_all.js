// An uncaught rejection from Promise.all: the error with its async frames ("at async
// Promise.all (index 1)").
console.log(`${new Date().toISOString()} info: loading 2 shards`);
async function load(i) {
  await new Promise((r) => setTimeout(r, 5));
  if (i === 1) throw new Error(`shard ${i}: checksum mismatch`);
}
async function main() { await Promise.all([load(0), load(1)]); }
main();
