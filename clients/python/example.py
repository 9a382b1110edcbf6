import os

from orderspine_client import Orderspine, error_details
from orders.v1 import address_pb2, catalog_service_pb2, customers_service_pb2, order_pb2, orders_service_pb2, product_pb2
from orders.v1 import promotion_pb2, promotions_service_pb2, tax_pb2, tax_service_pb2

import grpc

with Orderspine(os.environ.get("ORDERSPINE_ADDRESS", "localhost:8080"), os.environ["ORDERSPINE_KEY"]) as client:
    customer = client.customers.CreateCustomer(
        customers_service_pb2.CreateCustomerRequest(email=f"buyer-{os.urandom(4).hex()}@example.com", name="Ada Buyer")
    ).customer
    order = client.orders.CreateOrder(
        orders_service_pb2.CreateOrderRequest(
            customer_id=customer.id,
            items=[orders_service_pb2.LineItemInput(sku="INJ-6.7-CR", name="Injector", quantity=8, unit_price="289.50")],
        )
    ).order
    print(order.order_number, order.total)  # 1001 2316.00 (money is a decimal string)

    sku = f"INJ-{os.urandom(4).hex().upper()}"  # SKUs are unique in the tenant
    client.catalog.CreateProduct(
        catalog_service_pb2.CreateProductRequest(
            product=product_pb2.Product(
                title="6.7L Common-Rail Injector", variants=[product_pb2.Variant(sku=sku, prices={"USD": "289.50"})]
            )
        )
    )
    guest = client.orders.CreateOrder(
        orders_service_pb2.CreateOrderRequest(
            email="guest@example.com",  # no customer_id: a guest order
            items=[orders_service_pb2.LineItemInput(sku=sku.lower(), quantity=2)],  # by SKU, in any case
        )
    ).order
    line = guest.items[0]  # name and price from the catalog; line.sku is the catalog's, line.requested_sku what was sent
    print(guest.email, line.name, line.unit_price, guest.total)  # guest@example.com 6.7L Common-Rail Injector 289.50 579.00

    # Tax computed by the server for the ship-to address, and a coupon (an admin key writes zones and promotions;
    # the zone once per tenant: a second one for the same place is ALREADY_EXISTS)
    rates = [("NY State", "0.04"), ("New York City", "0.045"), ("MCTD", "0.00375")]
    client.tax.CreateTaxZone(
        tax_service_pb2.CreateTaxZoneRequest(
            tax_zone=tax_pb2.TaxZone(
                display_name="NYC", country="US", region="NY", postal_code_prefixes=["100", "112"],
                rates=[tax_pb2.TaxRate(display_name=name, rate=rate) for name, rate in rates],
            )
        )
    )
    code = f"SPRING-{os.urandom(3).hex().upper()}"  # codes are unique in the tenant
    client.promotions.CreatePromotion(
        promotions_service_pb2.CreatePromotionRequest(
            promotion=promotion_pb2.Promotion(
                display_name="Spring", kind=promotion_pb2.PROMOTION_KIND_ORDER_PERCENTAGE, value="10", codes=[code]
            )
        )
    )
    checkout = client.orders.CreateOrder(
        orders_service_pb2.CreateOrderRequest(
            email="alice@example.com",
            shipping_address=address_pb2.Address(line1="1 Main St", city="Brooklyn", region="NY", postal_code="11201", country="US"),
            items=[orders_service_pb2.LineItemInput(sku="INJ-6.7-CR", name="Injector", quantity=2, unit_price="289.50")],
            coupon_codes=[code.lower(), "WELCOME5"],  # any case; a code that cannot be used is a warning
        )
    )
    taxed = checkout.order
    print(order_pb2.TaxSource.Name(taxed.tax_source), taxed.tax_total, taxed.discount_total, taxed.total)
    # TAX_SOURCE_SERVER 46.24 57.90 567.34
    print([line.amount for line in taxed.items[0].tax_lines], [w.reason for w in checkout.warnings])
    # ['20.84', '23.45', '1.95'] ['COUPON_NOT_FOUND']

    try:
        client.orders.CreateOrder(orders_service_pb2.CreateOrderRequest(customer_id=customer.id))
    except grpc.RpcError as error:
        details = error_details(error)  # decoded from the grpc-status-details-bin trailer
        print(error.code().name, details.error_info.reason, [v.field for v in details.bad_request.field_violations])
        # INVALID_ARGUMENT INVALID_ARGUMENT ['items']
