/** Stage 6 questions no API can answer: who is woken up, and where alerts go. */
import { askCheck } from './ask';

export const whoIsPaged = askCheck({
  id: 'monitor.ask.on-call',
  stage: 6,
  title: 'A named person is alerted when the product goes down',
  question:
    'When the site or the health endpoint goes down at night, is a named person (and a backup when they are away) alerted on their phone, and do they know what to do first?',
  why: 'An alert nobody owns is noise. The first hour of an outage decides whether customers notice; someone has to be woken up, with a backup for holidays, and a first step written down.',
  fix: [
    'Name the person on call and a backup; write both in the README or runbook.',
    'Route uptime alerts to their phone: push notifications in the UptimeRobot or Better Stack app, or SMS / phone call for the health endpoint.',
    'Write the first three steps: check the status page of your host, roll back the last deploy (stage 3), post in the status channel.',
  ],
  impact: 'high',
});

export const whereAlertsGo = askCheck({
  id: 'monitor.ask.alert-channel',
  stage: 6,
  title: 'Alerts go to a channel people read',
  question:
    'Do uptime, certificate and error alerts go to a channel or inbox the team actually reads every day (not a forgotten mailbox or a muted Slack channel)?',
  why: 'Alerts sent to an address nobody reads are as good as none. Customers then become your monitoring, and they report it on social media or in a churn email.',
  fix: [
    'Create one #alerts channel (Slack or Teams) or a shared inbox, and send every monitor, Sentry and certificate alert there.',
    'Unmute it for the people on call, and test it: the Slack test alert check sends one.',
  ],
  impact: 'medium',
});
