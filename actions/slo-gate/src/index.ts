import { runAction } from "@shopstream/action-kit";
import { run } from "./main";

// run() ends its own failures in one ::error:: line with score=error; the kit's boundary reports a
// rejection that escapes it (a client library's background promise) and ends open gRPC handles.
runAction("slo-gate", () => run());
