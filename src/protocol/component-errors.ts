import { ErrorCode } from "./error-codes.js";
import { InvalidParamsError, ProtocolError } from "./protocol-error.js";
import { quote } from "./quote.js";

/**
 * JSON-RPC code for "resource not found", as MCP 2025-11-25 specifies it for `resources/read`
 * (in the range JSON-RPC reserves for implementation-defined server errors).
 */
export const RESOURCE_NOT_FOUND_ERROR_CODE = ErrorCode.ResourceNotFound;

/** `-32002` with reason `resource-not-found`: no resource or resource template serves that URI. */
export class ResourceNotFoundError extends ProtocolError {
  override name = "ResourceNotFoundError";
  readonly uri: string;
  constructor(uri: string) {
    super(
      "resource-not-found",
      `Resource not found: ${quote(uri)}. Call resources/list and resources/templates/list to see what this server serves.`,
      { uri },
    );
    this.uri = uri;
  }
}

/** `-32602` with reason `prompt-not-found`: no prompt of that name is registered. */
export class PromptNotFoundError extends InvalidParamsError {
  override name = "PromptNotFoundError";
  readonly prompt: string;
  constructor(prompt: string) {
    super(
      `Unknown prompt: "${prompt}". Call prompts/list to see the available prompts.`,
      "prompt-not-found",
      {
        prompt,
      },
    );
    this.prompt = prompt;
  }
}
