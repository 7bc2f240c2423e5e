import Foundation

/// Stateless, seeded randomness for the simulator: every draw is a hash of its inputs.
///
/// A value drawn for (seed, station, parameter, instant) is the same whatever was drawn before,
/// so a frame for a given instant is reproducible on its own, and resends, reconnects or the order
/// in which stations run never change what is sent.
///
/// ```swift
/// let u = SimulationRandom.unit(seed, stationKey, 7, UInt64(bitPattern: instant))   // 0 ≤ u < 1
/// ```
public enum SimulationRandom {
    /// SplitMix64's finaliser: a well-mixed 64-bit hash of `x`.
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A hash of several keys, order-sensitive.
    public static func hash(_ keys: UInt64...) -> UInt64 { hash(keys) }

    /// A hash of several keys, order-sensitive.
    public static func hash(_ keys: [UInt64]) -> UInt64 {
        var h: UInt64 = 0x6A09_E667_F3BC_C908
        for k in keys { h = mix(h ^ mix(k)) }
        return h
    }

    /// A uniform draw in `0 ..< 1` for these keys.
    public static func unit(_ keys: UInt64...) -> Double { Double(hash(keys) >> 11) * 0x1.0p-53 }

    /// A standard normal draw for these keys (Box–Muller), clipped to ±3.
    public static func normal(_ keys: UInt64...) -> Double {
        let h = hash(keys)
        let u1 = (Double(h >> 11) + 0.5) * 0x1.0p-53
        let u2 = Double(mix(h) >> 11) * 0x1.0p-53
        let z = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        return Swift.min(3, Swift.max(-3, z))
    }

    /// A stable 64-bit key for a text (FNV-1a; Swift's `Hasher` is seeded per process).
    public static func key(_ text: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01B3
        }
        return h
    }
}
