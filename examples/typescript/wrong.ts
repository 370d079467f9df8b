// Mistakes the widget's types must refuse: tsc reports an error on each line
// marked `// error` (tests/e2e/types.test.mjs), so a .d.ts that lost a type
// (an `any` detail, a missing element) fails the test.
import { checkPolicy, generatePassword } from '@contoso/password-reset-widget';

const widget = document.createElement('reset-password');
widget.users = 'u-1042'; // error: a list of users, not a string
widget.users = [{ name: 'Diane Prescott' }]; // error: a user needs its id
widget.transport = 'https://example.com'; // error: a function or null
widget.transport = async () => ({ body: '{}' }); // error: an answer has a status
widget.addEventListener('reset-password:done', (e) => e.detail.userId); // error: userIds, not userId
widget.addEventListener('reset-password:done', (e) => e.detail.delivery.status === 'bounced'); // error: no such status
document.addEventListener('change-password:done', (e) => e.detail.userIds); // error: a change has one userId
document.createElement('change-password').users = []; // error: bulk mode is <reset-password>'s
generatePassword({ lenght: 20 }); // error: a typo in an option
generatePassword({ kind: 'emoji' }); // error: characters or passphrase
const n: number = generatePassword().password; // error: a password is a string
checkPolicy('Vq8#tLm2!pZx9wRk', { minScore: 5 }); // error: scores are 0-4
const ok: boolean = checkPolicy('Vq8#tLm2!pZx9wRk').ok; // error: a Promise
