/**
 * Each sandbox's start options, taken from the same settings the subgraphs read, so keys,
 * secrets and ports always agree between a sandbox and its connector.
 */
import type { Settings } from '../config/settings.ts';
import type { CoreBankingOptions } from './core-banking/server.ts';
import type { GoogleAnalyticsSandboxOptions } from './google-analytics/server.ts';
import type { IdentityProviderOptions } from './identity-provider/server.ts';
import type { PlantApiOptions } from './plant-api/server.ts';
import type { SendGridSandboxOptions } from './sendgrid/server.ts';
import type { StripeSandboxOptions } from './stripe/server.ts';

export const identityOptions = (s: Settings): IdentityProviderOptions => ({
  host: s.host,
  port: s.ports.identity,
  dataDir: s.dataDir,
  issuer: s.auth.issuer,
  audience: s.auth.audience,
  tokenTtlSeconds: s.auth.devTokenTtlSeconds,
});

export const plantApiOptions = (s: Settings): PlantApiOptions => ({
  host: s.host,
  port: s.ports.plantApi,
  clientId: s.plantApi.clientId,
  clientSecret: s.plantApi.clientSecret,
  tokenTtlSeconds: s.plantApi.tokenTtlSeconds,
  webhookSecret: s.plantApi.webhookSecret,
  webhookTarget: s.plantApi.webhookTarget,
});

export const coreBankingOptions = (s: Settings): CoreBankingOptions => ({
  host: s.host,
  port: s.ports.coreBanking,
  pkiDir: s.coreBanking.pkiDir,
  clientId: s.coreBanking.clientId,
  clientSecret: s.coreBanking.clientSecret,
  apiKey: s.coreBanking.apiKey,
  tokenTtlSeconds: s.coreBanking.tokenTtlSeconds,
});

export const stripeOptions = (s: Settings): StripeSandboxOptions => ({ host: s.host, port: s.ports.stripe, secretKey: s.stripe.secretKey });

export const sendGridOptions = (s: Settings): SendGridSandboxOptions => ({ host: s.host, port: s.ports.sendgrid, apiKey: s.sendgrid.apiKey });

export const googleAnalyticsOptions = (s: Settings): GoogleAnalyticsSandboxOptions => ({
  host: s.host,
  port: s.ports.googleAnalytics,
  propertyId: s.googleAnalytics.propertyId,
  clientId: s.googleAnalytics.clientId,
  clientSecret: s.googleAnalytics.clientSecret,
  refreshToken: s.googleAnalytics.refreshToken,
  tokenTtlSeconds: s.googleAnalytics.tokenTtlSeconds,
});
