/** Real peers for notification tests of other packages: a loopback webhook receiver and an SMTP server. */
export {
  startHttpReceiver,
  type Answer,
  type HttpReceiver,
  type ReceivedRequest,
} from './http-receiver';
export {
  selfSignedCertificate,
  startSmtpPeer,
  type ReceivedMail,
  type SmtpPeer,
} from './smtp-peer';
