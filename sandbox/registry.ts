/**
 * Every sandbox that stands in for a subgraph's upstream, in one list: `npm start` and the
 * tests start them from here, before the subgraphs. Adding an upstream's sandbox means
 * adding its folder (with its stand-in.ts) and one line here.
 */
import { coreBankingStandIn } from './core-banking/stand-in.ts';
import { googleAnalyticsStandIn } from './google-analytics/stand-in.ts';
import type { StandIn } from './kit/stand-in.ts';
import { plantApiStandIn } from './plant-api/stand-in.ts';
import { sendGridStandIn } from './sendgrid/stand-in.ts';
import { stripeStandIn } from './stripe/stand-in.ts';

export const STAND_INS: readonly StandIn[] = [plantApiStandIn, coreBankingStandIn, stripeStandIn, sendGridStandIn, googleAnalyticsStandIn];
