// The in-process task behaviour of server-tasks.test.ts, once more on a SqliteTaskStore: the
// runtime must behave the same whatever store holds its records.
process.env.FASTESTMCP_TEST_STORE = "sqlite";
try {
  await import("./server-tasks.test.js");
} finally {
  delete process.env.FASTESTMCP_TEST_STORE;
}
