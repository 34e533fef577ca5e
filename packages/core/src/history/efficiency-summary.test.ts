import { efficiencySummaryContract } from './efficiency-summary.contract';

efficiencySummaryContract('sqlite');
