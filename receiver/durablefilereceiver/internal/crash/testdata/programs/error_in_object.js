// console.log of an object that holds an error: util.inspect prints the error's stack inside
// the object's braces, indented.
console.log(`${new Date().toISOString()} info: job failed`);
const err = new Error('disk quota exceeded');
console.log({ job: 'export', attempt: 3, err });
console.log(`${new Date().toISOString()} info: retrying in 30s`);
