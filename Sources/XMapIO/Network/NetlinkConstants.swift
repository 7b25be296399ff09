#if canImport(Glibc)
import Glibc
#endif
import CXMapLinux

/// rtnetlink numbers, typed for the Swift code (values come from the kernel uapi headers).
enum NetlinkConstant {
    // Socket.
    static let family = Int32(AF_NETLINK)
    static let routeProtocol = Int32(NETLINK_ROUTE)
    static let solNetlink = Int32(SOL_NETLINK)
    static let extendedAck = Int32(NETLINK_EXT_ACK)
    static let capAck = Int32(NETLINK_CAP_ACK)

    // nlmsghdr.
    static let headerLength = 16
    static let noop = UInt16(NLMSG_NOOP)
    static let error = UInt16(NLMSG_ERROR)
    static let done = UInt16(NLMSG_DONE)
    static let overrun = UInt16(NLMSG_OVERRUN)
    static let fRequest = UInt16(NLM_F_REQUEST)
    static let fMulti = UInt16(NLM_F_MULTI)
    static let fAck = UInt16(NLM_F_ACK)
    static let fDumpInterrupted = UInt16(NLM_F_DUMP_INTR)
    static let fDump = UInt16(NLM_F_ROOT | NLM_F_MATCH)
    static let fReplace = UInt16(NLM_F_REPLACE)
    static let fCreate = UInt16(NLM_F_CREATE)
    static let fCapped = UInt16(NLM_F_CAPPED)
    static let fAckTLVs = UInt16(NLM_F_ACK_TLVS)
    static let errorAttributeMessage = UInt16(NLMSGERR_ATTR_MSG.rawValue)
    /// Attribute type bits (without NLA_F_NESTED / NLA_F_NET_BYTEORDER).
    static let attributeTypeMask = ~(UInt16(NLA_F_NESTED) | UInt16(NLA_F_NET_BYTEORDER))
    static let attributeNested = UInt16(NLA_F_NESTED)

    // Message types.
    static let newLink = UInt16(RTM_NEWLINK)
    static let getLink = UInt16(RTM_GETLINK)
    static let newAddress = UInt16(RTM_NEWADDR)
    static let getAddress = UInt16(RTM_GETADDR)
    static let newRoute = UInt16(RTM_NEWROUTE)
    static let getRoute = UInt16(RTM_GETROUTE)
    static let newNeighbor = UInt16(RTM_NEWNEIGH)
    static let getNeighbor = UInt16(RTM_GETNEIGH)
    static let newNexthop = UInt16(RTM_NEWNEXTHOP)
    static let getNexthop = UInt16(RTM_GETNEXTHOP)

    // Address families as the kernel writes them in one byte.
    static let inet = UInt8(AF_INET)
    static let inet6 = UInt8(AF_INET6)
    static let unspecified = UInt8(AF_UNSPEC)

    // Routes.
    static let rtaDestination = UInt16(RTA_DST.rawValue)
    static let rtaOutputInterface = UInt16(RTA_OIF.rawValue)
    static let rtaGateway = UInt16(RTA_GATEWAY.rawValue)
    static let rtaPriority = UInt16(RTA_PRIORITY.rawValue)
    static let rtaPreferredSource = UInt16(RTA_PREFSRC.rawValue)
    static let rtaMultipath = UInt16(RTA_MULTIPATH.rawValue)
    static let rtaTable = UInt16(RTA_TABLE.rawValue)
    static let rtaVia = UInt16(RTA_VIA.rawValue)
    static let rtaNexthopID = UInt16(RTA_NH_ID.rawValue)
    static let tableMain = UInt32(RT_TABLE_MAIN.rawValue)
    static let routeUnicast = UInt8(RTN_UNICAST)
    static let routeBlackhole = UInt8(RTN_BLACKHOLE)
    static let routeUnreachable = UInt8(RTN_UNREACHABLE)
    static let routeProhibit = UInt8(RTN_PROHIBIT)
    static let routeThrow = UInt8(RTN_THROW)
    static let routeCloned = UInt32(RTM_F_CLONED)
    static let nexthopDead = UInt32(RTNH_F_DEAD)
    static let nexthopLinkDown = UInt32(RTNH_F_LINKDOWN)
    static let scopeUniverse = UInt8(RT_SCOPE_UNIVERSE.rawValue)

    // Nexthop objects (<linux/nexthop.h>, not included by CXMapLinux; the values are kernel ABI).
    static let nhaID: UInt16 = 1
    static let nhaGroup: UInt16 = 2
    static let nhaBlackhole: UInt16 = 4
    static let nhaOutputInterface: UInt16 = 5
    static let nhaGateway: UInt16 = 6

    // Links.
    static let iflaAddress = UInt16(IFLA_ADDRESS)
    static let iflaName = UInt16(IFLA_IFNAME)

    // Addresses.
    static let ifaAddress = UInt16(IFA_ADDRESS)
    static let ifaLocal = UInt16(IFA_LOCAL)
    static let ifaFlags = UInt16(IFA_FLAGS)
    static let ifaSecondary = UInt32(IFA_F_SECONDARY)
    static let ifaTemporary = UInt32(IFA_F_TEMPORARY)
    static let ifaDadFailed = UInt32(IFA_F_DADFAILED)
    static let ifaDeprecated = UInt32(IFA_F_DEPRECATED)
    static let ifaTentative = UInt32(IFA_F_TENTATIVE)

    // Neighbours.
    static let ndaDestination = UInt16(NDA_DST)
    static let ndaLinkLayerAddress = UInt16(NDA_LLADDR)
    static let nudNone = UInt16(NUD_NONE)
    static let nudIncomplete = UInt16(NUD_INCOMPLETE)
    static let nudReachable = UInt16(NUD_REACHABLE)
    static let nudStale = UInt16(NUD_STALE)
    static let nudDelay = UInt16(NUD_DELAY)
    static let nudProbe = UInt16(NUD_PROBE)
    static let nudFailed = UInt16(NUD_FAILED)
    static let nudNoARP = UInt16(NUD_NOARP)
    static let nudPermanent = UInt16(NUD_PERMANENT)
    static let ntfUse = UInt8(NTF_USE)
    static let ntfProxy = UInt8(NTF_PROXY)
}
