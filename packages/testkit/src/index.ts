/** @shopstream/testkit — protocol-faithful fakes of the APIs the actions call, for tests. */
export * from "./cloudrun/server";
export * from "./github";
export * from "./monitoring/scenarios";
export * from "./monitoring/server";
export * from "./slack/server";
