/** A chat message in the OpenAI-compatible shape the agent loop speaks. */
export type ChatMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: ToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface ToolCall {
  id: string;
  name: string;
  /** Raw JSON text as the model produced it (may be malformed). */
  arguments: string;
}

export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
}

export interface ChatRequest {
  messages: ChatMessage[];
  tools?: ToolSpec[];
  /** Ask for JSON matching this schema (OpenAI `response_format: json_schema`). */
  jsonSchema?: { name: string; schema: Record<string, unknown> };
  maxTokens?: number;
  signal?: AbortSignal;
}

export interface ChatResponse {
  content: string | null;
  toolCalls: ToolCall[];
  usage: { input: number; output: number };
  finishReason: string | null;
}

/** An LLM behind an OpenAI-compatible API. Implementations retry 429/5xx/timeouts themselves. */
export interface Llm {
  /** Model name, for logs and results. */
  readonly model: string;
  chat(req: ChatRequest): Promise<ChatResponse>;
}
