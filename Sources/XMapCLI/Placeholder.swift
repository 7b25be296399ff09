public enum XMapMain { public static func run() {} }
