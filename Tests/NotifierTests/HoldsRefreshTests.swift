import Store
import Testing

@testable import Notifier

/// The decision behind the outbox poll's look at the silences and acknowledgements (several
/// daemons on one PostgreSQL outbox): a look that finds them as they were reports no change, so
/// no worker is woken on every poll; a change is reported once; and a look that began before
/// another one already taken changes nothing (it would take a newer silence back).
@Suite struct HoldsRefreshTests {
    let fixture = NotifyFixture()

    func core() throws -> NotifierCore {
        let configuration = try fixture.load(
            """
            notify:
              route: {receiver: duty}
              receivers:
                - name: duty
                  file_configs: [{path: notifications.jsonl}]
            """)
        return NotifierCore(configuration: configuration, targets: [])
    }

    let silence = Silence(
        id: 7, matchers: [#"station="qinghe-wwtp-outlet""#], startsAt: 1_700_000_000, endsAt: 1_700_007_200, createdBy: "li.wei",
        comment: "weir repair", createdAt: 1_700_000_000)
    let acknowledgement = AlertAcknowledgement(
        episode: 3, key: AlertKey(rule: "cod-limit", station: "qinghe-wwtp-outlet", parameter: "COD"), startedAt: 1_699_990_000, by: "wang.fang",
        comment: "on site", at: 1_700_000_100)

    @Test func anUnchangedLookWakesNobodyAndAChangeIsReportedOnce() async throws {
        let core = try core()
        // Nothing held at start, nothing held in the store: no change.
        #expect(await core.setHolds(silences: [], acknowledgements: [], ticket: await core.holdsTicket()) == false)
        // A silence made through another daemon appears: a change, once.
        #expect(await core.setHolds(silences: [silence], acknowledgements: [], ticket: await core.holdsTicket()) == true)
        for _ in 0..<3 {
            #expect(await core.setHolds(silences: [silence], acknowledgements: [], ticket: await core.holdsTicket()) == false)
        }
        // An acknowledgement is a change too; so is the silence ending.
        #expect(await core.setHolds(silences: [silence], acknowledgements: [acknowledgement], ticket: await core.holdsTicket()) == true)
        #expect(await core.setHolds(silences: [], acknowledgements: [acknowledgement], ticket: await core.holdsTicket()) == true)
        #expect(await core.setHolds(silences: [], acknowledgements: [acknowledgement], ticket: await core.holdsTicket()) == false)
    }

    @Test func aLookThatBeganBeforeOneAlreadyTakenChangesNothing() async throws {
        let core = try core()
        let older = await core.holdsTicket()
        let newer = await core.holdsTicket()
        // The newer look (begun after the silence was stored) is taken first.
        #expect(await core.setHolds(silences: [silence], acknowledgements: [], ticket: newer) == true)
        // The older one, read before the silence existed, arrives late: ignored.
        #expect(await core.setHolds(silences: [], acknowledgements: [], ticket: older) == false)
        #expect(await core.holds.silences.map(\.silence) == [silence])
    }
}
