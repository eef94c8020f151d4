using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Feedstand.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class WebSub : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "web_sub_hub",
                table: "fetch_states",
                type: "character varying(2048)",
                maxLength: 2048,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "web_sub_topic",
                table: "fetch_states",
                type: "character varying(2048)",
                maxLength: 2048,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "web_sub_until",
                table: "fetch_states",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "websub_hub_subscriptions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    callback = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    callback_host = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    topic = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    topic_path = table.Column<string>(type: "character varying(600)", maxLength: 600, nullable: false),
                    secret = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    lease_seconds = table.Column<int>(type: "integer", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    verified_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_websub_hub_subscriptions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "websub_subscriptions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    feed_id = table.Column<long>(type: "bigint", nullable: false),
                    hub_url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    topic = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    callback_token = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    secret = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    lease_seconds = table.Column<int>(type: "integer", nullable: true),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    verified_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    next_action_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    last_error = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    last_push_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_websub_subscriptions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "websub_hub_deliveries",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    subscription_id = table.Column<long>(type: "bigint", nullable: false),
                    queued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    last_error = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_websub_hub_deliveries", x => x.id);
                    table.ForeignKey(
                        name: "FK_websub_hub_deliveries_websub_hub_subscriptions_subscription~",
                        column: x => x.subscription_id,
                        principalTable: "websub_hub_subscriptions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_websub_hub_deliveries_next_attempt_at",
                table: "websub_hub_deliveries",
                column: "next_attempt_at");

            migrationBuilder.CreateIndex(
                name: "IX_websub_hub_deliveries_subscription_id",
                table: "websub_hub_deliveries",
                column: "subscription_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_websub_hub_subscriptions_callback_host",
                table: "websub_hub_subscriptions",
                column: "callback_host");

            migrationBuilder.CreateIndex(
                name: "IX_websub_hub_subscriptions_callback_topic",
                table: "websub_hub_subscriptions",
                columns: new[] { "callback", "topic" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_websub_hub_subscriptions_expires_at",
                table: "websub_hub_subscriptions",
                column: "expires_at");

            migrationBuilder.CreateIndex(
                name: "IX_websub_hub_subscriptions_topic_path",
                table: "websub_hub_subscriptions",
                column: "topic_path");

            migrationBuilder.CreateIndex(
                name: "IX_websub_subscriptions_callback_token",
                table: "websub_subscriptions",
                column: "callback_token",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_websub_subscriptions_feed_id",
                table: "websub_subscriptions",
                column: "feed_id");

            migrationBuilder.CreateIndex(
                name: "IX_websub_subscriptions_next_action_at",
                table: "websub_subscriptions",
                column: "next_action_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "websub_hub_deliveries");

            migrationBuilder.DropTable(
                name: "websub_subscriptions");

            migrationBuilder.DropTable(
                name: "websub_hub_subscriptions");

            migrationBuilder.DropColumn(
                name: "web_sub_hub",
                table: "fetch_states");

            migrationBuilder.DropColumn(
                name: "web_sub_topic",
                table: "fetch_states");

            migrationBuilder.DropColumn(
                name: "web_sub_until",
                table: "fetch_states");
        }
    }
}
