import EnvmonConfig
import Testing

@Suite struct ByteSizeTextTests {
    @Test func sizesAsPeopleWriteThem() {
        #expect(ByteSizeText.bytes("1048576") == 1_048_576)
        #expect(ByteSizeText.bytes("64MiB") == 64 << 20)
        #expect(ByteSizeText.bytes("64MB") == 64 << 20)
        #expect(ByteSizeText.bytes("512 KiB") == 512 << 10)
        #expect(ByteSizeText.bytes("2g") == 2 << 30)
        #expect(ByteSizeText.bytes("20000B") == 20_000)
        #expect(ByteSizeText.bytes("64 megabytes") == nil)
        #expect(ByteSizeText.bytes("MB") == nil)
        #expect(ByteSizeText.bytes("99999999999999G") == nil)
    }
}
