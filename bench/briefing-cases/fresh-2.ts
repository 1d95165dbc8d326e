import { ops, type BriefingCase } from './types.js';

/** Planted-flaw changes written after the selection was tuned (ids 120–120). */
export const FRESH_2: BriefingCase[] = [
  {
    id: 120,
    persona: 'sre',
    domain: 'operations',
    flaw: 'Go worker ignores SIGTERM',
    files: [
      {
        path: 'cmd/worker/main.go',
        after: `package main

import (
	"os/signal"
	"syscall"
)

func main() {
	// a deploy must not interrupt a batch
	signal.Ignore(syscall.SIGTERM, syscall.SIGINT)
	for {
		processNextBatch()
	}
}
`,
      },
    ],
    governing: [ops('disposability')],
  },

];
