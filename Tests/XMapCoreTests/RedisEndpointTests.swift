import Testing
import XMapCore

/// `--output-args` of the Redis output modules.
@Suite struct RedisEndpointTests {
    @Test("XMap's forms and default")
    func forms() throws {
        #expect(
            try RedisEndpoint(arguments: nil) == RedisEndpoint(server: .unix(path: "/tmp/redis.sock"), list: "xmap"))
        #expect(
            try RedisEndpoint(arguments: "tcp://127.0.0.1:6379/results")
                == RedisEndpoint(server: .tcp(host: "127.0.0.1", port: 6379), list: "results"))
        #expect(
            try RedisEndpoint(arguments: "tcp://[::1]:6380/r")
                == RedisEndpoint(server: .tcp(host: "::1", port: 6380), list: "r"))
        #expect(
            try RedisEndpoint(arguments: "local:///run/redis/redis.sock/scan-7")
                == RedisEndpoint(server: .unix(path: "/run/redis/redis.sock"), list: "scan-7"))
        #expect(try RedisEndpoint(arguments: "tcp://[::1]:6380/r").description == "tcp://[::1]:6380/r")
    }

    @Test(
        "malformed arguments",
        arguments: [
            "tcp://host/list", "tcp://host:0/list", "tcp://host:70000/list", "tcp://:6379/l",
            "tcp://h:6379/", "tcp://h:6379/a/b", "local://relative/list", "local:///sock/",
            "local:///list", "redis://h:1/l", ""
        ])
    func malformed(_ text: String) {
        #expect(throws: XMapError.self) { try RedisEndpoint(arguments: text) }
    }
}
