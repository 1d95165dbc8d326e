/** The loopback GitHub REST API stand-in lives in bench/ (the Action benchmark uses it too); tests import it from here. */
export * from '../../bench/fake-github.js';
export * from '../../bench/fake-github-conversation.js';
