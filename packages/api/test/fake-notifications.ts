import type {
  ChannelView,
  NotificationDelivery,
  NotificationEvent,
  NotificationsApi,
  RuleView,
  SendTestResult,
} from '@scripthut/core';

/** Notifications held in memory; tests fill `events`, `log`, `channelList` and read `tests`. */
export class FakeNotifications implements NotificationsApi {
  events: NotificationEvent[] = [];
  log: NotificationDelivery[] = [];
  channelList: ChannelView[] = [{ name: 'browser', type: 'browser', target: 'this browser', problem: null, implicit: true }];
  ruleList: RuleView[] = [];
  tests: string[] = [];
  testResult: SendTestResult = { ok: true, answer: 'HTTP 200: ok', deliveryId: 'msg_test' };

  recent(limit: number): Promise<NotificationEvent[]> {
    return Promise.resolve(this.events.slice(0, limit));
  }
  deliveries(limit: number): Promise<NotificationDelivery[]> {
    return Promise.resolve(this.log.slice(0, limit));
  }
  channels(): ChannelView[] {
    return this.channelList;
  }
  rules(): RuleView[] {
    return this.ruleList;
  }
  sendTest(channel: string): Promise<SendTestResult> {
    this.tests.push(channel);
    return Promise.resolve(this.testResult);
  }
}
