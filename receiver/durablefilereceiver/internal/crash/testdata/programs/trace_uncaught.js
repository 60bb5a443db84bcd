// node --trace-uncaught: an uncaught exception that is not an Error is reported with
// "Thrown at:" and the frames where it was thrown, after an ordinary line.
console.log(`${new Date().toISOString()} INFO parsing manifest`);
function parse(text) {
  if (!text.startsWith("{")) throw { code: "E_MANIFEST", detail: "not JSON" };
}
setTimeout(() => parse("name: app"), 10);
