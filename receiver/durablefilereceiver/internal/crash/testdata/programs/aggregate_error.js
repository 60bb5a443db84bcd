// Promise.any rejects with an AggregateError, logged with console.error between ordinary lines.
console.log(`${new Date().toISOString()} info: fetching from mirrors`);
Promise.any([Promise.reject(new Error('mirror a: 503')), Promise.reject(new Error('mirror b: timeout'))])
  .catch((err) => { console.error(err); console.log(`${new Date().toISOString()} info: falling back to origin`); });
