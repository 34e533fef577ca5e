import { arrayRowsContract } from './array-rows.contract';

arrayRowsContract('sqlite');
