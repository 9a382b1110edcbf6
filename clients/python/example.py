import os

from orderspine_client import Orderspine, error_details
from orders.v1 import catalog_service_pb2, customers_service_pb2, orders_service_pb2, product_pb2

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

    try:
        client.orders.CreateOrder(orders_service_pb2.CreateOrderRequest(customer_id=customer.id))
    except grpc.RpcError as error:
        details = error_details(error)  # decoded from the grpc-status-details-bin trailer
        print(error.code().name, details.error_info.reason, [v.field for v in details.bad_request.field_violations])
        # INVALID_ARGUMENT INVALID_ARGUMENT ['items']
