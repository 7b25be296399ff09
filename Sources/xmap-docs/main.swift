import XMapCLI

// The build-time generator of the man pages and shell completions (`make docs`): see
// `DocsGenerator`. Not installed; only its output is.
DocsGenerator.run()
