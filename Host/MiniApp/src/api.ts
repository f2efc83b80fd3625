import { createClient, type Interceptor } from '@connectrpc/connect';
import { createGrpcWebTransport } from '@connectrpc/connect-web';
import { CatalogService } from './gen/nanobanana/catalog/v1/catalog_pb';
import { PlansService } from './gen/nanobanana/catalog/v1/plans_pb';
import { PaymentsService } from './gen/nanobanana/payments/v1/payments_pb';
import { AuthService } from './gen/nanobanana/users/v1/users_pb';
import { BillingService } from './gen/nanobanana/billing/v1/billing_pb';
import { GenerationService } from './gen/nanobanana/generation/v1/generation_pb';
import { TryOnService } from './gen/nanobanana/catalog/v1/try_on_pb';

let sessionToken = '';

export function setSession(token: string): void {
  sessionToken = token;
}

const authorization: Interceptor = (next) => async (request) => {
  if (sessionToken) request.header.set('authorization', `Bearer ${sessionToken}`);
  return next(request);
};

// gRPC-Web (binary) to the Host's HTTP port that served this page.
const transport = createGrpcWebTransport({
  baseUrl: window.location.origin,
  interceptors: [authorization],
});

export const catalog = createClient(CatalogService, transport);
export const plans = createClient(PlansService, transport);
export const payments = createClient(PaymentsService, transport);
export const auth = createClient(AuthService, transport);
export const billing = createClient(BillingService, transport);
export const generation = createClient(GenerationService, transport);
export const tryOn = createClient(TryOnService, transport);
