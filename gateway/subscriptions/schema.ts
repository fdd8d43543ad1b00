/**
 * The gateway's subscription schema: the federated API schema (so a subscriber can select
 * any Plant field) extended with the Subscription root that @apollo/gateway does not serve.
 */
import { extendSchema, parse, type GraphQLSchema } from 'graphql';

export const SUBSCRIPTION_SDL = /* GraphQL */ `
  extend schema {
    subscription: Subscription
  }

  type Subscription {
    """
    Downtime alerts (see PlantDowntimeKind): the Plant API going down or back, and every
    plant status change. No plantIds: every plant. Over graphql-ws at this URL, or
    graphql-sse at /graphql/stream; not over plain HTTP.
    """
    plantDowntime(plantIds: [ID!]): PlantDowntimeEvent
  }

  "What an alert says. The API-wide kinds carry no plant."
  enum PlantDowntimeKind {
    "The Plant API stopped answering; plant data is served from cache, marked stale."
    API_DOWN
    "The Plant API answers again; plant data is live."
    API_RESTORED
    "A plant went offline."
    PLANT_OFFLINE
    "A plant is back online (from offline, degraded or maintenance)."
    PLANT_ONLINE
    "A plant runs degraded."
    PLANT_DEGRADED
    "A plant went into maintenance."
    PLANT_MAINTENANCE
  }

  type PlantDowntimeEvent {
    kind: PlantDowntimeKind!
    "ISO 8601 time of the transition."
    at: String!
    message: String!
    "The plant, resolved through the federated graph for this subscriber; null for the API-wide kinds."
    plant: Plant
  }
`;

export function subscriptionSchema(apiSchema: GraphQLSchema): GraphQLSchema {
  return extendSchema(apiSchema, parse(SUBSCRIPTION_SDL));
}
