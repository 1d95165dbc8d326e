/** Architecture rules: dependencies point inward, no cycles. See .agent-os/standards/architecture/layout.md. */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'Import cycles make modules impossible to reason about and to test alone.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'src/domain holds pure logic: it may import only itself and side-effect-free libraries.',
      from: { path: '^src/domain' },
      to: { path: '^src/(?!domain)' },
    },
    {
      name: 'ports-are-interfaces',
      severity: 'error',
      comment: 'src/ports declares interfaces over domain types only.',
      from: { path: '^src/ports' },
      to: { path: '^src/(?!domain|ports)' },
    },
    {
      name: 'services-point-inward',
      severity: 'error',
      comment: 'Services use domain and ports; infrastructure arrives as parameters.',
      from: { path: '^src/(services|jobs)' },
      to: { path: '^src/(infra|mcp|cli|action|bin|app)' },
    },
    {
      name: 'nothing-imports-adapters',
      severity: 'error',
      comment: 'Adapters (MCP, CLI, Action) are leaves: nothing below them imports them.',
      from: { pathNot: '^src/(bin|cli|mcp|action)/' },
      to: { path: '^src/(mcp|cli|action)/' },
    },
    {
      name: 'adapters-do-not-talk',
      severity: 'error',
      comment: 'The MCP server and the Action never import another adapter (the CLI may start the MCP server).',
      from: { path: '^src/(mcp|action)/' },
      to: { path: '^src/(cli|mcp|action)/', pathNot: '^src/$1/' },
    },
    {
      name: 'infra-is-not-above-services',
      severity: 'error',
      comment: 'Infra implements ports; it must not reach up into adapters.',
      from: { path: '^src/infra' },
      to: { path: '^src/(mcp|cli|action|bin|app)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
