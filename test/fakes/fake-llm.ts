/** The loopback OpenAI-compatible fake lives in bench/ (benchmarks use it too); tests import it from here. */
export * from '../../bench/fake-llm.js';
