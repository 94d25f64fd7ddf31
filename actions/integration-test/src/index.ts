import { runAction } from "@shopstream/action-kit";
import { run } from "./main";

runAction("integration-test", () => run());
