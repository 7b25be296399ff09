#if canImport(Glibc)
import Glibc
#endif
import CXMapLinux

extension NetLibc {
    /// Moves the calling thread (only it) into the network namespace at `path`, e.g.
    /// /var/run/netns/NAME: open(2) then setns(2) with CLONE_NEWNET.
    @inline(never)
    static func enterNetworkNamespace(path: String) throws(NetErrno) {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw NetErrno(code: errno) }
        let rc = CXMap_setns_net(fd)
        let e = errno
        _ = Glibc.close(fd)
        if rc != 0 { throw NetErrno(code: e) }
    }
}
