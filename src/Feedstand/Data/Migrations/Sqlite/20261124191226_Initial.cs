using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Feedstand.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "admin_accounts",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    password_hash = table.Column<string>(type: "TEXT", nullable: false),
                    failed_logins = table.Column<int>(type: "INTEGER", nullable: false),
                    locked_until = table.Column<long>(type: "INTEGER", nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_admin_accounts", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "feeds",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    slug = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    feed_url = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    site_url = table.Column<string>(type: "TEXT", nullable: true),
                    title = table.Column<string>(type: "TEXT", nullable: true),
                    description = table.Column<string>(type: "TEXT", nullable: true),
                    icon_url = table.Column<string>(type: "TEXT", nullable: true),
                    language = table.Column<string>(type: "TEXT", nullable: true),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    title_override = table.Column<string>(type: "TEXT", nullable: true),
                    description_override = table.Column<string>(type: "TEXT", nullable: true),
                    icon_url_override = table.Column<string>(type: "TEXT", nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    last_entry_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_feeds", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "tags",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tags", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "entries",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    feed_id = table.Column<long>(type: "INTEGER", nullable: false),
                    key = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    link = table.Column<string>(type: "TEXT", nullable: true),
                    title = table.Column<string>(type: "TEXT", nullable: true),
                    published_at = table.Column<long>(type: "INTEGER", nullable: true),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: true),
                    authors = table.Column<string>(type: "TEXT", nullable: false),
                    categories = table.Column<string>(type: "TEXT", nullable: false),
                    enclosures = table.Column<string>(type: "TEXT", nullable: false),
                    summary_html = table.Column<string>(type: "TEXT", nullable: true),
                    content_html = table.Column<string>(type: "TEXT", nullable: true),
                    image_url = table.Column<string>(type: "TEXT", nullable: true),
                    comments_url = table.Column<string>(type: "TEXT", nullable: true),
                    search_text = table.Column<string>(type: "TEXT", nullable: true),
                    content_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    first_seen_at = table.Column<long>(type: "INTEGER", nullable: false),
                    sort_date = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_entries", x => x.id);
                    table.ForeignKey(
                        name: "FK_entries_feeds_feed_id",
                        column: x => x.feed_id,
                        principalTable: "feeds",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "fetch_states",
                columns: table => new
                {
                    feed_id = table.Column<long>(type: "INTEGER", nullable: false),
                    e_tag = table.Column<string>(type: "TEXT", nullable: true),
                    last_modified = table.Column<string>(type: "TEXT", nullable: true),
                    last_fetch_at = table.Column<long>(type: "INTEGER", nullable: true),
                    last_success_at = table.Column<long>(type: "INTEGER", nullable: true),
                    next_fetch_at = table.Column<long>(type: "INTEGER", nullable: false),
                    last_status = table.Column<int>(type: "INTEGER", nullable: true),
                    consecutive_errors = table.Column<int>(type: "INTEGER", nullable: false),
                    last_error = table.Column<string>(type: "TEXT", nullable: true),
                    last_error_kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    last_bytes = table.Column<long>(type: "INTEGER", nullable: true),
                    average_post_interval = table.Column<long>(type: "INTEGER", nullable: true),
                    lease_until = table.Column<long>(type: "INTEGER", nullable: true),
                    lease_owner = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_fetch_states", x => x.feed_id);
                    table.ForeignKey(
                        name: "FK_fetch_states_feeds_feed_id",
                        column: x => x.feed_id,
                        principalTable: "feeds",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "submissions",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    feed_id = table.Column<long>(type: "INTEGER", nullable: true),
                    url = table.Column<string>(type: "TEXT", nullable: false),
                    title = table.Column<string>(type: "TEXT", nullable: true),
                    description = table.Column<string>(type: "TEXT", nullable: true),
                    icon_url = table.Column<string>(type: "TEXT", nullable: true),
                    language = table.Column<string>(type: "TEXT", nullable: true),
                    tags = table.Column<string>(type: "TEXT", nullable: false),
                    note = table.Column<string>(type: "TEXT", nullable: true),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    decided_at = table.Column<long>(type: "INTEGER", nullable: true),
                    decided_by = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_submissions", x => x.id);
                    table.ForeignKey(
                        name: "FK_submissions_feeds_feed_id",
                        column: x => x.feed_id,
                        principalTable: "feeds",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "feed_tags",
                columns: table => new
                {
                    feed_id = table.Column<long>(type: "INTEGER", nullable: false),
                    tag_id = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_feed_tags", x => new { x.feed_id, x.tag_id });
                    table.ForeignKey(
                        name: "FK_feed_tags_feeds_feed_id",
                        column: x => x.feed_id,
                        principalTable: "feeds",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_feed_tags_tags_tag_id",
                        column: x => x.tag_id,
                        principalTable: "tags",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_admin_accounts_name",
                table: "admin_accounts",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_entries_feed_id_key",
                table: "entries",
                columns: new[] { "feed_id", "key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_entries_feed_id_sort_date",
                table: "entries",
                columns: new[] { "feed_id", "sort_date" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "IX_entries_sort_date",
                table: "entries",
                column: "sort_date",
                descending: new bool[0]);

            migrationBuilder.CreateIndex(
                name: "IX_feed_tags_tag_id",
                table: "feed_tags",
                column: "tag_id");

            migrationBuilder.CreateIndex(
                name: "IX_feeds_feed_url",
                table: "feeds",
                column: "feed_url",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_feeds_slug",
                table: "feeds",
                column: "slug",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_feeds_status_last_entry_at",
                table: "feeds",
                columns: new[] { "status", "last_entry_at" });

            migrationBuilder.CreateIndex(
                name: "IX_fetch_states_next_fetch_at",
                table: "fetch_states",
                column: "next_fetch_at");

            migrationBuilder.CreateIndex(
                name: "IX_submissions_feed_id",
                table: "submissions",
                column: "feed_id");

            migrationBuilder.CreateIndex(
                name: "IX_submissions_status_created_at",
                table: "submissions",
                columns: new[] { "status", "created_at" });

            migrationBuilder.CreateIndex(
                name: "IX_tags_name",
                table: "tags",
                column: "name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "admin_accounts");

            migrationBuilder.DropTable(
                name: "entries");

            migrationBuilder.DropTable(
                name: "feed_tags");

            migrationBuilder.DropTable(
                name: "fetch_states");

            migrationBuilder.DropTable(
                name: "submissions");

            migrationBuilder.DropTable(
                name: "tags");

            migrationBuilder.DropTable(
                name: "feeds");
        }
    }
}
