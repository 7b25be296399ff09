/// Whether this xmap was built with the netmap backend (`swift build --traits Netmap`, like
/// ZMap's `-DWITH_NETMAP=ON`), and where netmap's control device lives.
public enum NetmapSupport {
    #if NETMAP
    public static let built = true
    #else
    public static let built = false
    #endif
    /// netmap's control device (`NETMAP_DEVICE_NAME`).
    public static let device = "/dev/netmap"
}
