export { NOTIFICATIONS_ROLE, soleLeadership, type ClusterLeadership } from './cluster-leadership';
export { PgLeadership, type PgLeadershipOptions } from './pg-leadership';
export { configuredLeadership } from './configured-leadership';
