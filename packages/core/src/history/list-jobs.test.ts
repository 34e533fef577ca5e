import { listJobsContract } from './list-jobs.contract';

listJobsContract('sqlite');
