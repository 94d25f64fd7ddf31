/** @shopstream/testkit — protocol-faithful fakes of the APIs the actions call, for tests. */
export * from "./github";
