import { jobSearchContract } from './job-search.contract';

jobSearchContract('sqlite');
