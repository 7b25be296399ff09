import XMapCLI

// One binary, several tools: what it does depends on the name it was run as (argv[0]'s base
// name), as with busybox. `xmap` is XMap 2.0.2's command line; `zmap`, `ziterate`, `zblocklist`
// and `ztee` are ZMap 4.3's.
MultiCall.run()
