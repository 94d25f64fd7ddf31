import { failOnce, run } from "./main";

// A rejection that escapes run() (a client library's background promise) still ends in one ::error:: line.
process.on("unhandledRejection", (reason) => failOnce(reason));
void run();
