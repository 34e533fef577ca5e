import { releaseSubmissionContract } from './release-submission.contract';

releaseSubmissionContract('sqlite');
