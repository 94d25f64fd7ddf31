/** @shopstream/platform — the platform declaration and every resource name derived from it. */
import { PLATFORM } from "../platform";
import type { PlatformDeclaration } from "./declaration";
import { type PlatformNames, platformNames } from "./derive";
import { validateDeclaration } from "./validate";

export type { DeliveryPolicy, EnvironmentDeclaration, Locations, PlatformDeclaration } from "./declaration";
export {
  type BootstrapNames,
  bootstrapNames,
  CONSUMERS,
  type Consumer,
  deadLetterTopicOf,
  inspectionSubscriptionOf,
  type PlatformNames,
  PROJECT_ID_PLACEHOLDER,
  platformNames,
  SCHEDULED_JOBS,
  type ScheduledJob,
  withProjectId,
} from "./derive";
export {
  checkName,
  LIMITS,
  type NamedResource,
  type NameKind,
  type NameLimit,
  namedBootstrapResources,
  namedResources,
} from "./limits";
export { snakeKeys, terraformPlatform, terraformPlatformJson } from "./terraform";
export {
  declarationProblems,
  LONGEST_PROJECT_ID,
  MAX_APP_LENGTH,
  MAX_ENVIRONMENT_LENGTH,
  MAX_SHORT_LENGTH,
  PlatformDeclarationError,
  validateDeclaration,
} from "./validate";

/** The declaration in packages/platform/platform.ts. */
export const DECLARATION: PlatformDeclaration = PLATFORM;

/** Environment of the local stand-ins (npm start, npm test). */
export const LOCAL_ENVIRONMENT = "local";

/**
 * Names of `environment` from the declaration (validated). The environment comes from the caller, or
 * from SHOPSTREAM_ENV, defaulting to the local stand-ins.
 */
export function namesFor(
  environment: string = process.env.SHOPSTREAM_ENV || LOCAL_ENVIRONMENT,
  declaration: PlatformDeclaration = DECLARATION,
): PlatformNames {
  return platformNames(validateDeclaration(declaration), environment);
}

/**
 * The names of `environment` for an action's or tool's input validation: the names, or the problem that
 * prevents them (an undeclared environment or an invalid declaration), so the caller can list it with
 * its other problems.
 */
export function resolveEnvironment(
  environment: string,
  declaration: PlatformDeclaration = DECLARATION,
): { names: PlatformNames; problem?: undefined } | { names?: undefined; problem: string } {
  if (environment === "")
    return {
      problem: `environment is required: one of ${Object.keys(declaration.environments).join(", ")} (packages/platform/platform.ts)`,
    };
  try {
    return { names: platformNames(validateDeclaration(declaration), environment) };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}
